"""Search, proof, minimization, replay, survey and the command line."""
