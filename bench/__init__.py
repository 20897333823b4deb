"""The performance benchmark of the portal: see bench/README.md. Run with `bench/run`."""
