/** The repo's extension; runHostTests.ts sets QODER_E2E_EXTENSION_ID (the fixture's id with --fixture). */
export const QODER_ID = 'qoder-community.qoder-deployments';
export const EXTENSION_ID = process.env.QODER_E2E_EXTENSION_ID || QODER_ID;
