"""The exact reference semantics: games, solution concepts, transformations, desiderata."""
