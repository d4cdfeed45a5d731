"""The roster area: periods, rules, solving with progress, the editable grid, publishing and swaps."""
