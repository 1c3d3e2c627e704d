import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { type Db, type Queryable, transaction } from '../db/pool.js';
import { HubError, unauthorized, conflict, notFound } from '../errors.js';
import type { CreateUserBody, LoginReply, UpdateUserBody, User } from '../../protocol/index.js';
import * as repo from './auth.repo.js';
import { hashToken, newToken } from './tokens.js';
import type { Principal } from './principal.js';
import type { EventBus } from '../events.js';

export const LOGIN_WINDOW_MINUTES = 15;
/** Wrong passwords for one account from one address before that address is refused for that account. */
export const MAX_FAILURES_PER_ADDRESS = 10;
const MAX_FAILURES_PER_IP = 50;

/**
 * The wait before an account's password is checked, growing with its recent failures from every address: none
 * below 10, then 250 ms doubling every 10 failures up to 4 s. A flood slows the account down; it never refuses it.
 */
export function loginDelayMs(accountFailures: number): number {
  if (accountFailures < 10) return 0;
  return Math.min(4000, 250 * 2 ** Math.floor((accountFailures - 10) / 10));
}

/** What a login attempt leaves in the audit log of the account's hall (null: no such account). */
export interface LoginAudit {
  hallId: number | null;
  userId: number | null;
  username: string;
  ip: string;
  action: 'LOGIN' | 'LOGIN FAILED' | 'LOGIN LOCKED' | 'LOGIN REFUSED';
  status: 200 | 401 | 429;
}

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export function userView(u: repo.UserRow): User {
  return { id: u.id, username: u.username, name: u.name, role: u.role, ...(u.title ? { title: u.title } : {}), active: u.active };
}

export class AuthService {
  /** `bus`: where revocations are announced (the hub's; main.ts's first-boot admin check needs none). */
  constructor(
    private readonly db: Db,
    private readonly sessionHours: number,
    private readonly bus: EventBus | null = null,
  ) {}

  /**
   * Checks the password. Failures count per account and address: an address with 10 recent failures for an
   * account is refused (429) for that account, other addresses are not; the account's failures from everywhere
   * only slow its attempts down (`loginDelayMs`). Every attempt is reported to `audit` after it is recorded.
   */
  async login(username: string, password: string, ip: string, audit: (entry: LoginAudit) => void = () => undefined): Promise<LoginReply> {
    const failures = await repo.recentLoginFailures(this.db, username, ip, LOGIN_WINDOW_MINUTES);
    const user = await repo.findUserByUsername(this.db, username);
    const who = { hallId: user?.hall_id ?? null, userId: user?.id ?? null, username: username.slice(0, 64), ip };
    if (failures.pair >= MAX_FAILURES_PER_ADDRESS || failures.ip >= MAX_FAILURES_PER_IP) {
      audit({ ...who, action: 'LOGIN REFUSED', status: 429 });
      throw new HubError(429, 'rate_limited', `Đăng nhập sai quá nhiều lần từ máy này: hãy thử lại sau ${LOGIN_WINDOW_MINUTES} phút hoặc nhờ quản trị viên mở khóa / too many failed logins from this address, retry later or ask an admin to clear the lock`);
    }
    const delay = loginDelayMs(failures.account);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const ok = user?.active ? await argon2.verify(user.password_hash, password).catch(() => false) : false;
    if (!user || !ok) {
      await repo.insertLoginFailure(this.db, username, ip);
      audit({ ...who, action: 'LOGIN FAILED', status: 401 });
      if (failures.pair + 1 === MAX_FAILURES_PER_ADDRESS) audit({ ...who, action: 'LOGIN LOCKED', status: 429 });
      throw unauthorized('Sai tên đăng nhập hoặc mật khẩu / wrong username or password');
    }
    if (failures.pair > 0) await repo.clearLoginFailures(this.db, username, ip);
    const token = newToken('u');
    const expiresAt = new Date(Date.now() + this.sessionHours * 3600_000);
    await repo.insertSession(this.db, hashToken(token), user.id, expiresAt);
    audit({ ...who, action: 'LOGIN', status: 200 });
    return { token, expiresAt: expiresAt.toISOString(), user: { id: user.id, name: user.name, role: user.role } };
  }

  async logout(hallId: number, token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await repo.revokeSession(this.db, tokenHash);
    this.bus?.emit('access.revoked', { hallId, sessionTokenHash: tokenHash });
  }

  /** Resolves a bearer token (staff session or device) to its principal, or null. */
  async authenticate(token: string): Promise<Principal | null> {
    if (token.length > 200) return null;
    const hash = hashToken(token);
    if (token.startsWith('u_')) {
      const u = await repo.findSessionUser(this.db, hash);
      return u
        ? { type: 'user', hallId: u.hall_id, token, user: { id: u.id, username: u.username, name: u.name, role: u.role, title: u.title }, expiresAt: u.session_expires_at }
        : null;
    }
    if (token.startsWith('d_')) {
      const d = await repo.findDeviceByTokenHash(this.db, hash);
      return d ? { type: 'device', hallId: d.hall_id, device: { id: d.id, kind: d.kind, name: d.name, counterId: d.counter_id } } : null;
    }
    return null;
  }

  async createUser(hallId: number, body: CreateUserBody, db: Queryable = this.db): Promise<User> {
    if (await repo.findUserByUsername(db, body.username)) throw conflict(`Tên đăng nhập "${body.username}" đã tồn tại`, 'username_taken');
    const row = await repo.insertUser(db, { hallId, ...body, passwordHash: await hashPassword(body.password) });
    return userView(row);
  }

  /**
   * Changes an account (see UpdateUserBody for the rules). One transaction: the hall's active admins are locked
   * first whenever a role or the active flag may change, so two admins cannot remove each other at once.
   */
  async updateUser(hallId: number, actor: { userId: number; token: string }, id: number, body: UpdateUserBody): Promise<User> {
    const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
    const user = await transaction(this.db, async (tx) => {
      const admins = body.role !== undefined || body.active !== undefined ? await repo.lockActiveAdmins(tx, hallId) : [];
      const user = await repo.lockUser(tx, hallId, id);
      if (!user) throw notFound(`Không có người dùng số ${id}`);
      const disabling = body.active === false && user.active;
      const demoting = body.role !== undefined && body.role !== 'admin' && user.role === 'admin';
      if (disabling && id === actor.userId) {
        throw conflict('Không thể tự khóa tài khoản đang đăng nhập: hãy nhờ một quản trị viên khác', 'own_account');
      }
      if ((disabling || demoting) && user.active && !admins.some((a) => a !== id)) {
        throw conflict(`"${user.username}" là quản trị viên cuối cùng đang hoạt động: hãy tạo hoặc mở khóa một quản trị viên khác trước`, 'last_admin');
      }
      if (disabling) {
        const counter = await repo.openCounterOfUser(tx, id);
        if (counter) throw conflict(`${user.name} đang mở quầy ${counter.number}: hãy đóng quầy trước khi khóa tài khoản`, 'counter_open');
      }
      const row = await repo.updateUser(tx, id, {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.title !== undefined ? { title: body.title?.trim() || null } : {}),
        ...(body.role !== undefined ? { role: body.role } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
      });
      if (disabling) await repo.revokeSessionsOf(tx, id, null);
      else if (passwordHash !== undefined) await repo.revokeSessionsOf(tx, id, id === actor.userId ? hashToken(actor.token) : null);
      return { view: userView(row), cut: disabling || passwordHash !== undefined || (body.role !== undefined && body.role !== user.role) };
    });
    if (user.cut) this.bus?.emit('access.revoked', { hallId, userId: id });
    return user.view;
  }

  /** Ends every session of a user of the hall (lost device, staff leaving). */
  async revokeSessions(hallId: number, userId: number): Promise<number> {
    const n = await repo.revokeUserSessions(this.db, hallId, userId);
    if (n === null) throw notFound(`Không có người dùng số ${userId}`);
    this.bus?.emit('access.revoked', { hallId, userId });
    return n;
  }

  async listUsers(hallId: number): Promise<User[]> {
    const locked = await repo.lockedUsernames(this.db, hallId, MAX_FAILURES_PER_ADDRESS, LOGIN_WINDOW_MINUTES);
    return (await repo.listUsers(this.db, hallId)).map((u) => ({ ...userView(u), loginLocked: locked.has(u.username) }));
  }

  /** Clears an account's login lock: its failed logins from every address are forgotten. */
  async clearLoginLock(hallId: number, userId: number): Promise<number> {
    const user = await repo.findUser(this.db, hallId, userId);
    if (!user) throw notFound(`Không có người dùng số ${userId}`);
    return repo.clearAccountFailures(this.db, user.username);
  }

  /** First boot: the `admin` account, with the given password or a random one to print once. */
  async ensureAdmin(hallId: number, password: string | null): Promise<{ created: boolean; password: string | null }> {
    if (await repo.findUserByUsername(this.db, 'admin')) return { created: false, password: null };
    const pw = password ?? randomBytes(9).toString('base64url');
    try {
      await repo.insertUser(this.db, { hallId, username: 'admin', passwordHash: await hashPassword(pw), name: 'Quản trị hệ thống', role: 'admin' });
    } catch (err) {
      if (err instanceof HubError) throw err;
      // another hub process created it at the same moment
      if ((err as { code?: string }).code === '23505') return { created: false, password: null };
      throw err;
    }
    return { created: true, password: pw };
  }
}
