// Every library the harness compares, this package first.
export const LIBRARIES = ["helpdesk-oauth", "oauth4webapi", "openid-client", "arctic", "badgateway"];

export async function loadLibrary(id) {
  return import(`./${id}.mjs`);
}
