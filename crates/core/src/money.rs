//! Text form of exact amounts at the boundaries (CLI JSON, IPC, CSV export).

use rust_decimal::Decimal;

/// The exact decimal with trailing zeros removed but at least two decimal places:
/// `100` → `"100.00"`, `-1110.000000000` → `"-1110.00"`, `15.625` → `"15.625"`.
/// No rounding ever happens.
pub fn money_string(d: Decimal) -> String {
    let mut n = d.normalize();
    if n.scale() < 2 {
        n.rescale(2);
    }
    n.to_string()
}

/// The exact decimal with trailing zeros removed (`"25266"`, `"0.015625"`).
pub fn decimal_string(d: Decimal) -> String {
    d.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn keeps_every_digit_and_two_places() {
        assert_eq!(money_string(dec!(100)), "100.00");
        assert_eq!(money_string(dec!(-1110.000000000)), "-1110.00");
        assert_eq!(money_string(dec!(15.625)), "15.625");
        assert_eq!(money_string(dec!(0)), "0.00");
        assert_eq!(decimal_string(dec!(25266.00)), "25266");
    }
}
