using System.Text.Json;
using QSam2.Spec.Arch;
using QSam2.Training.Quantization.Experiment;
using QSam2.Training.Tests.Cli;

namespace QSam2.Training.Tests.Quantization;

public sealed class ExperimentTests : IDisposable
{
    private readonly TinyQuantSetup _setup = new(images: 6);

    public void Dispose() => _setup.Dispose();

    [Fact]
    public void ExperimentCommand_WritesTheComparisonTable()
    {
        var arch = Path.Combine(_setup.Dir, "tiny-quant.arch.json");
        File.WriteAllText(arch, ArchSpecWriter.ToJson(_setup.Spec));
        var outDir = Path.Combine(_setup.Dir, "results");
        var r = CliRunner.Run("experiment", "--arch", arch, "--checkpoint", _setup.Checkpoint, "--calib", _setup.Data, "--data", _setup.Data,
            "--eval", _setup.Data, "--eval-images", "2", "--configs", "W8A8,W2A4", "--methods", "fp32,minmax_ptq,vrc_lsc_qat",
            "--qat-steps", "2", "--calib-images", "2", "--threads", "2", "-o", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var md = File.ReadAllText(Path.Combine(outDir, "experiment.md"));
        Assert.Contains("| method | W8A8 | W2A4 |", md);
        Assert.Contains("| VRC + LSC QAT |", md);
        Assert.Contains("W8A8 PTQ within 0.5", md);
        Assert.Contains("qsam2 experiment --arch", md);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "experiment.json")));
        var cells = json.RootElement.GetProperty("cells");
        Assert.Equal(6, cells.GetArrayLength());
        var w2 = cells.EnumerateArray().First(c => c.GetProperty("method").GetString() == "minmax_ptq" && c.GetProperty("bits").GetString() == "W2A4");
        var w8 = cells.EnumerateArray().First(c => c.GetProperty("method").GetString() == "minmax_ptq" && c.GetProperty("bits").GetString() == "W8A8");
        Assert.True(w2.GetProperty("size_bytes").GetInt64() < w8.GetProperty("size_bytes").GetInt64());
        Assert.False(Directory.Exists(Path.Combine(outDir, ".experiment-work")));
    }

    [Fact]
    public void Runner_ContinuesFromItsSavedCells()
    {
        var work = Path.Combine(_setup.Dir, "work");
        ExperimentRequest Request(params ExperimentMethod[] methods) => new()
        {
            Arch = _setup.Spec,
            CheckpointPath = _setup.Checkpoint,
            CalibrationPath = _setup.Data,
            TrainDataPath = _setup.Data,
            EvalPath = _setup.Data,
            EvalImages = 2,
            Configs = new[] { new BitConfig(4, 8) },
            Methods = methods,
            Settings = new ExperimentSettings { CalibrationImages = 2 },
            WorkFolder = work,
        };
        var first = ExperimentRunner.Run(Request(ExperimentMethod.Fp32, ExperimentMethod.MinMaxPtq));
        var logs = new List<string>();
        var second = ExperimentRunner.Run(Request(ExperimentMethod.Fp32, ExperimentMethod.MinMaxPtq, ExperimentMethod.VrcPtq) with { Log = logs.Add });
        Assert.Contains(logs, l => l.Contains("2 cells already measured", StringComparison.Ordinal));
        Assert.Equal(3, second.Cells.Count);
        Assert.Equal(first.Find(ExperimentMethod.MinMaxPtq, new BitConfig(4, 8))!.MIou, second.Find(ExperimentMethod.MinMaxPtq, new BitConfig(4, 8))!.MIou);
        Assert.DoesNotContain(logs, l => l.StartsWith("cell MinMax PTQ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("W4A8", 4, 8)]
    [InlineData("w2a4", 2, 4)]
    public void BitConfig_Parses(string text, int w, int a) => Assert.Equal(new BitConfig(w, a), BitConfig.Parse(text));

    [Theory]
    [InlineData("W5A8")]
    [InlineData("A8W4")]
    [InlineData("W4A9")]
    public void BitConfig_RejectsWhatTheFormatCannotHold(string text) => Assert.Throws<ArgumentException>(() => BitConfig.Parse(text));
}
