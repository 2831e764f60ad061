/**
 * What the realm uses of the SAML SP library, in a module saml-realm.ts imports dynamically, so that it is
 * loaded at the first SAML message and never at a function's start. Static imports here, not a dynamic
 * `import()` of the package: deployed, the package is in a layer (infra/saml-library-layer.ts) that Lambda
 * resolves through NODE_PATH, which `require` reads and the ES module resolver does not; the bundle turns these
 * imports into `require` calls.
 */
export { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
export { getVerifiedXml } from '@node-saml/node-saml/lib/xml';
