"""Classification: keeping tiers, reasons and flags current, and the policy behind them."""
