"""The SMT side: symbolic games, concept encodings and desideratum encodings."""
