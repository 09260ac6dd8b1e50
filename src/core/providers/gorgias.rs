//! Gorgias: every account is its own authorization server at `https://{account}.gorgias.com`.
//! Basic client auth; `offline` (not `offline_access`) yields a refresh token; refresh responses
//! carry no new refresh token (keep the old one, it does not expire); PKCE "not enabled yet".

use super::{Preset, BASE};

pub const PRESET: Preset = Preset {
    id: "gorgias",
    authorize_url: "https://{account}.gorgias.com/oauth/authorize",
    token_url: "https://{account}.gorgias.com/oauth/token",
    revoke_url: Some("https://{account}.gorgias.com/oauth/revoke"),
    api_base_url: Some("https://{account}.gorgias.com/api"),
    issuer: "https://{account}.gorgias.com",
    test_install_url: Some("https://{account}.gorgias.com/app/settings/integrations/app/{client_id}"),
    refresh_scope: Some("offline"),
    pkce: false,
    integer_sub: true,
    ..BASE
};
