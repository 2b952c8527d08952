using QSam2.Training.Training;

namespace QSam2.Training.Tests.Training;

public class TrainOptionsTests
{
    [Fact]
    public void ClicksFirstCurriculum_UsesClicksOnlyBeforeTheSwitch()
    {
        var options = new TrainOptions { ClicksFirstSteps = 100, Prompts = new PromptPolicy { BoxProbability = 0.6 } };
        Assert.Equal(0.0, options.PromptsAt(0).BoxProbability);
        Assert.Equal(0.0, options.PromptsAt(99).BoxProbability);
        Assert.Equal(0.6, options.PromptsAt(100).BoxProbability);
        Assert.Equal(options.Prompts.MaxClicks, options.PromptsAt(0).MaxClicks);

        // A plan drawn in the click phase never holds a box.
        var rng = new Random(3);
        Assert.All(Enumerable.Range(0, 200).Select(_ => options.PromptsAt(5).Choose(rng)), p => Assert.False(p.Box));
    }

    [Fact]
    public void BoxHints_FadeLinearlyToZero()
    {
        var options = new TrainOptions { BoxHintSteps = 200 };
        Assert.Equal(1.0, options.BoxHintProbabilityAt(0));
        Assert.Equal(0.5, options.BoxHintProbabilityAt(100), 12);
        Assert.Equal(0.0, options.BoxHintProbabilityAt(200));
        Assert.Equal(0.0, options.BoxHintProbabilityAt(5000));
        Assert.Equal(0.0, new TrainOptions().BoxHintProbabilityAt(0));
    }

    [Theory]
    [InlineData("--box-hint-steps")]
    [InlineData("--focal-weight")]
    [InlineData("--focal-gamma")]
    [InlineData("--box-probability")]
    [InlineData("--correction-probability")]
    [InlineData("--max-clicks")]
    [InlineData("--clicks-first-steps")]
    [InlineData("--grad-clip")]
    public void Validate_NamesTheBadOption(string option)
    {
        var ok = new TrainOptions();
        var bad = option switch
        {
            "--focal-weight" => ok with { Loss = ok.Loss with { Focal = -1 } },
            "--focal-gamma" => ok with { Loss = ok.Loss with { FocalGamma = -0.5 } },
            "--box-probability" => ok with { Prompts = ok.Prompts with { BoxProbability = 1.5 } },
            "--correction-probability" => ok with { Prompts = ok.Prompts with { CorrectionProbability = -0.1 } },
            "--max-clicks" => ok with { Prompts = ok.Prompts with { MaxClicks = 0 } },
            "--clicks-first-steps" => ok with { ClicksFirstSteps = -1 },
            "--box-hint-steps" => ok with { BoxHintSteps = -1 },
            _ => ok with { GradientClip = double.NaN },
        };
        ok.Validate();
        var e = Assert.Throws<ArgumentException>(bad.Validate);
        Assert.StartsWith(option, e.Message);
    }

    [Fact]
    public void LossAndPromptSettings_ChangeWithEveryRecordedSetting()
    {
        var a = new TrainOptions();
        var variants = new[]
        {
            a with { Loss = a.Loss with { Focal = 1 } },
            a with { Loss = a.Loss with { FocalAlpha = -1 } },
            a with { Prompts = a.Prompts with { BoxProbability = 1 } },
            a with { Prompts = a.Prompts with { MaxClicks = 1 } },
            a with { ClicksFirstSteps = 10 },
            a with { BoxHintSteps = 10 },
            a with { GradientClip = 0 },
            a with { LossResolution = 64 },
        };
        var all = variants.Select(v => v.LossAndPromptSettings()).Append(a.LossAndPromptSettings()).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
