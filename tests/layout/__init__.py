"""How the package is laid out: import direction, one home per rule, packaging."""
