import { distinguishedNamePredicate, type ExpressionModel, type FieldPredicate, predicateFor } from './rules';

/** What a realm knows of a user when it asks for roles (`UserRoleMapper.UserData`). */
export interface UserData {
  readonly username: string;
  readonly dn?: string;
  readonly groups: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly realmName: string;
}

/** The flat map the model is made of (`ExpressionModel.asModel().asMap()`), which role templates render. */
export function modelValues(user: UserData): Record<string, unknown> {
  const values: Record<string, unknown> = { username: user.username };
  if (user.dn !== undefined) values.dn = user.dn;
  values.groups = [...user.groups];
  for (const [key, value] of Object.entries(user.metadata)) values[`metadata.${key}`] = value;
  values['realm.name'] = user.realmName;
  return values;
}

/** `UserData.asModel`: `dn` and `groups` compare as distinguished names, the other fields by their type. */
export function expressionModel(user: UserData): ExpressionModel {
  const model = new Map<string, FieldPredicate>();
  model.set('username', predicateFor(user.username));
  if (user.dn !== undefined) model.set('dn', distinguishedNamePredicate(user.dn));
  const groups = user.groups.map(distinguishedNamePredicate);
  model.set('groups', (value) => groups.some((predicate) => predicate(value)));
  for (const [key, value] of Object.entries(user.metadata)) model.set(`metadata.${key}`, predicateFor(value));
  model.set('realm.name', predicateFor(user.realmName));
  return model;
}
