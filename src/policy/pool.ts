/** R8 — a risk-compensation pool's figures: available = capacity − paid − reserved, never below zero. */
import { Decimal, money } from '../common/decimal';

export function poolAvailable(capacity: Decimal, paid: Decimal, reserved: Decimal): Decimal {
  return Decimal.max(money(capacity.minus(paid).minus(reserved)), 0);
}
