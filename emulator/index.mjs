// helpdesk-oauth/emulator: a local, strict Gorgias and Kustomer authorization server (consent
// page, token, revoke, API) for developing and testing apps without the real providers. Node only.
export { startEmulator } from './server.mjs';
export { providerConfig } from './routing.mjs';
export { loadConfigFile, EmulatorConfigError } from './config.mjs';
export { answerConsent } from './script-consent.mjs';
export { emulatorFlags, emulatorFlagsHelp, emulatorUsage, emulatorOptionsFromFlags, parseEmulatorArgs } from './cli-options.mjs';
export { loginCommands } from './banner.mjs';
