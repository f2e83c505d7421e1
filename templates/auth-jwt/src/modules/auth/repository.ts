import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { refreshTokens, type UserRow, users } from '../../db/schema.js';
import { conflict } from '../../errors.js';
import type { UserDto } from './schemas.js';
import { hashRefreshToken, newRefreshToken } from './tokens.js';

const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

export function createAuthRepository(db: Db) {
  return {
    createUser(email: string, passwordHash: string): UserDto {
      const row = { id: randomUUID(), email, passwordHash, createdAt: new Date().toISOString() };
      try {
        return db.insert(users).values(row).returning().get();
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('An account with this email exists');
        throw error;
      }
    },

    findUserByEmail(email: string): UserRow | undefined {
      return db.select().from(users).where(eq(users.email, email)).get();
    },

    /** Stores the hash of a new refresh token and returns the token, which is never stored. */
    issueRefreshToken(userId: string, familyId: string, ttlSeconds: number): string {
      const token = newRefreshToken();
      db.insert(refreshTokens)
        .values({
          id: randomUUID(),
          userId,
          familyId,
          tokenHash: hashRefreshToken(token),
          expiresAt: secondsFromNow(ttlSeconds),
          createdAt: new Date().toISOString(),
        })
        .run();
      return token;
    },

    /**
     * Revokes a valid refresh token and issues its successor in the same family. A token
     * that was already revoked has been stolen or replayed: its whole family is revoked, so
     * neither the thief nor the victim can go on, and the user must log in again.
     */
    rotateRefreshToken(
      token: string,
      ttlSeconds: number,
    ): { userId: string; refreshToken: string } | undefined {
      // One transaction: two concurrent uses of one token cannot both succeed.
      return db.transaction((tx) => {
        const row = tx
          .select()
          .from(refreshTokens)
          .where(eq(refreshTokens.tokenHash, hashRefreshToken(token)))
          .get();
        if (!row) return undefined;
        if (row.revoked) {
          tx.update(refreshTokens)
            .set({ revoked: true })
            .where(eq(refreshTokens.familyId, row.familyId))
            .run();
          return undefined;
        }
        if (row.expiresAt <= new Date().toISOString()) return undefined;
        tx.update(refreshTokens).set({ revoked: true }).where(eq(refreshTokens.id, row.id)).run();
        const next = newRefreshToken();
        tx.insert(refreshTokens)
          .values({
            id: randomUUID(),
            userId: row.userId,
            familyId: row.familyId,
            tokenHash: hashRefreshToken(next),
            expiresAt: secondsFromNow(ttlSeconds),
            createdAt: new Date().toISOString(),
          })
          .run();
        return { userId: row.userId, refreshToken: next };
      });
    },

    /** Revokes every token of the family this one belongs to; false when it is unknown. */
    revokeFamilyOf(token: string): boolean {
      const row = db
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, hashRefreshToken(token)))
        .get();
      if (!row) return false;
      db.update(refreshTokens)
        .set({ revoked: true })
        .where(eq(refreshTokens.familyId, row.familyId))
        .run();
      return true;
    },
  };
}
