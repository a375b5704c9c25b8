"""Teaching: assign, notebooks, submissions, collect, publish and report."""
