/**
 * The `request.name` of a transport event: the simple name of the request class Elasticsearch's action takes
 * (its TransportAction's request type), by action name.
 */
const REQUEST_NAMES: Readonly<Record<string, string>> = {
  'cluster:admin/xpack/security/token/create': 'CreateTokenRequest',
  // RefreshTokenAction takes a CreateTokenRequest too.
  'cluster:admin/xpack/security/token/refresh': 'CreateTokenRequest',
  'cluster:admin/xpack/security/token/invalidate': 'InvalidateTokenRequest',
  'cluster:admin/xpack/security/user/authenticate': 'AuthenticateRequest',
  'cluster:admin/xpack/security/user/put': 'PutUserRequest',
  'cluster:admin/xpack/security/user/get': 'GetUsersRequest',
  'cluster:admin/xpack/security/user/delete': 'DeleteUserRequest',
  'cluster:admin/xpack/security/user/change_password': 'ChangePasswordRequest',
  'cluster:admin/xpack/security/user/set_enabled': 'SetEnabledRequest',
  'cluster:admin/xpack/security/role/put': 'PutRoleRequest',
  'cluster:admin/xpack/security/role/get': 'GetRolesRequest',
  'cluster:admin/xpack/security/role/delete': 'DeleteRoleRequest',
  'cluster:admin/xpack/security/role_mapping/put': 'PutRoleMappingRequest',
  'cluster:admin/xpack/security/role_mapping/get': 'GetRoleMappingsRequest',
  'cluster:admin/xpack/security/role_mapping/delete': 'DeleteRoleMappingRequest',
  'cluster:admin/xpack/security/oidc/prepare': 'OpenIdConnectPrepareAuthenticationRequest',
  'cluster:admin/xpack/security/oidc/authenticate': 'OpenIdConnectAuthenticateRequest',
  'cluster:admin/xpack/security/oidc/logout': 'OpenIdConnectLogoutRequest',
  'cluster:admin/xpack/security/saml/prepare': 'SamlPrepareAuthenticationRequest',
  'cluster:admin/xpack/security/saml/authenticate': 'SamlAuthenticateRequest',
  'cluster:admin/xpack/security/saml/logout': 'SamlLogoutRequest',
  'cluster:admin/xpack/security/saml/invalidate': 'SamlInvalidateSessionRequest',
  'cluster:admin/xpack/security/saml/complete_logout': 'SamlCompleteLogoutRequest',
  'cluster:monitor/xpack/security/saml/metadata': 'SamlSpMetadataRequest',
  'cluster:monitor/main': 'MainRequest',
};

export function requestNameOf(action: string): string | undefined {
  return REQUEST_NAMES[action];
}
