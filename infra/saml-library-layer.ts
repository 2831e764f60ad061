import type { Construct } from 'constructs';
import { LibraryLayer, writePackage } from './library-layer';

/**
 * The packages the SAML functions import (functions/security/authc/saml/) that no function bundles: every
 * function leaves them out (lambda-functions.ts), the SAML functions find them in this layer.
 */
export const SAML_LIBRARY_MODULES = ['@node-saml/node-saml', '@xmldom/xmldom'] as const;

/**
 * The SAML service provider library and its XML security stack (xml-crypto, xml-encryption, xpath, xml2js,
 * xmlbuilder, xmldom), about 580 KB minified: one layer version for the six SAML functions rather than a copy in
 * each, so each of their bundles stays under the 600 KB of every other function's, and a SAML request that a
 * deployment refuses (no such realm) never loads it. The realm loads node-saml at its first real SAML message
 * (saml-realm.ts imports it dynamically), xmldom at the function's start.
 *
 * Three modules at the paths the functions require: xmldom whole; node-saml's `lib/xml` (the signature check
 * saml-realm.ts calls) with its XML stack; node-saml's index, whose own `./xml` is left to that module, so the
 * stack is in the layer once and every DOM node comes from the one xmldom.
 */
export class SamlLibraryLayer extends LibraryLayer {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'The SAML service provider library (@node-saml/node-saml) and its XML stack, bundled at synth',
      stage: (build, modules) => {
        const external = ['@xmldom/xmldom'];
        build('@xmldom/xmldom/index.js', { entry: '@xmldom/xmldom' });
        build('@node-saml/node-saml/lib/xml.js', { entry: '@node-saml/node-saml/lib/xml' }, { external });
        build('@node-saml/node-saml/lib/index.js', { entry: '@node-saml/node-saml' }, { external: [...external, './xml'] });
        writePackage(modules, '@xmldom/xmldom', 'index.js');
        writePackage(modules, '@node-saml/node-saml', 'lib/index.js');
      },
    });
  }
}
