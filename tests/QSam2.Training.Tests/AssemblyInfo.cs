// libtorch's default generator and thread settings are process-global: tests that seed it (training resume, random
// init) must not interleave with other torch tests, or their "deterministic" trajectories diverge.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
