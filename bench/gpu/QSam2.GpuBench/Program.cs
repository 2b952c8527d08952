using QSam2.GpuBench;

// qsam2-gpubench check [--simulated] [--filter TEXT]         Category=Cuda tests of QSam2.Gpu.Tests on the GPU
// qsam2-gpubench time  [--simulated] [--reps N] [--only FP32,W8A8,W4A8] [--load-only]   hiera_t 1024² encoder, GPU vs CPU path
// --simulated runs the GPU kernels on ILGPU's CPU accelerator (to try the tool without a GPU; slow, and no timings to keep).
string command = args.Length > 0 ? args[0] : "";
bool simulated = args.Contains("--simulated");
string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

switch (command)
{
    case "check":
        // The tests pick their device from this variable (QSam2.Gpu.Tests TestDevice).
        Environment.SetEnvironmentVariable(QSam2.Gpu.Tests.Infrastructure.TestDevice.Variable, simulated ? null : "cuda");
        return CudaTestRunner.Run(Option("--filter")) == 0 ? 0 : 1;
    case "time":
        int reps = int.TryParse(Option("--reps"), out var r) && r > 0 ? r : 5;
        var only = (Option("--only") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return EncoderTiming.Run(reps, simulated, only, loadOnly: args.Contains("--load-only"));
    default:
        Console.Error.WriteLine("usage: qsam2-gpubench check [--simulated] [--filter TEXT] | time [--simulated] [--reps N] [--only FP32,W8A8,W4A8] [--load-only]");
        return 2;
}
