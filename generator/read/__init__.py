"""Read: the files editors write, parsed with positions and checked against the contract, as records."""
