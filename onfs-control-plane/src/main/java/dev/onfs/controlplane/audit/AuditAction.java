package dev.onfs.controlplane.audit;

/** What an audit entry records. */
public enum AuditAction {
  SUBMIT,
  APPROVE,
  REJECT,
  WITHDRAW,
  LOGIN,
  LOGIN_FAILED,
  LOGOUT,
  BOOTSTRAP_ADMIN,
  USER_CREATED,
  ROLE_CHANGED,
  USER_ACTIVATED,
  USER_DEACTIVATED,
  PASSWORD_CHANGED,
  /** A reader or writer token was made on approval (its hash published; the token itself never stored). */
  TOKEN_ISSUED,
  /** Feature values of one key were read through the console. */
  FEATURES_READ
}
