import { Type } from 'typebox';

const Email = Type.String({ format: 'email', maxLength: 254 });
// Length is what makes a password hard to guess; the upper bound keeps hashing cheap to refuse.
const Password = Type.String({ minLength: 12, maxLength: 256 });
const RefreshToken = Type.String({ minLength: 1, maxLength: 512 });

export const Register = Type.Object(
  { email: Email, password: Password },
  { additionalProperties: false },
);

// No password policy at login: a password too short to register simply does not match.
export const Login = Type.Object(
  { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 256 }) },
  { additionalProperties: false },
);

export const Refresh = Type.Object({ refreshToken: RefreshToken }, { additionalProperties: false });

export const Registered = Type.Object({ message: Type.String({ maxLength: 100 }) });

export const TokenPair = Type.Object({
  // A signed JWT of a few hundred characters: short claims of fixed names.
  accessToken: Type.String({ maxLength: 2048 }),
  refreshToken: RefreshToken,
  /** Seconds until the access token expires. */
  expiresIn: Type.Integer({ format: 'int32', minimum: 1, maximum: 2_147_483_647 }),
});
