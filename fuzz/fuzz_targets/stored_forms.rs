//! What apps keep and hand back: pending authorizations and token sets. Whatever is accepted
//! must serialise back to something that reads the same.
#![no_main]
use helpdesk_oauth::core::account::{account_from_install_url, validate_account};
use helpdesk_oauth::core::pending::PendingAuthorization;
use helpdesk_oauth::core::token_set::TokenSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = PendingAuthorization::deserialize(text) {
        assert_eq!(PendingAuthorization::deserialize(&p.serialize()).unwrap(), p);
    }
    if let Ok(t) = TokenSet::from_json(text) {
        assert_eq!(TokenSet::from_json(&t.to_json()).unwrap(), t);
    }
    if let Ok(a) = validate_account(text) {
        assert!(a.len() <= 63 && a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    }
    let _ = account_from_install_url(text, "account");
});
