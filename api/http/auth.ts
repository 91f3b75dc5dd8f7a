/** Bearer authentication (session token or API key) and role checks. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../../db/connection';
import { type User, type UserRole, authenticate } from '../access/users';
import { HttpProblem } from './problem';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

export function requireUser(db: Db, ...roles: UserRole[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return next(new HttpProblem(401, 'Unauthorized', 'sign in: Authorization: Bearer <token or API key>'));
    authenticate(db, m[1]!).then((user) => {
      if (!user) return next(new HttpProblem(401, 'Unauthorized', 'the token or key is unknown, expired or revoked'));
      if (roles.length && !roles.includes(user.role)) return next(new HttpProblem(403, 'Forbidden', `this needs the role ${roles.join(' or ')}`));
      req.user = user;
      next();
    }, next);
  };
}
