using QSam2.Segmenter.Output;
using QSam2.Segmenter.Tests.Infrastructure;

namespace QSam2.Segmenter.Tests.Output;

public class StagedOutputTests
{
    [Fact]
    public void CommitCreatesMissingFoldersAndMovesEveryFile()
    {
        using var tmp = new TempDir();
        string target = Path.Combine(tmp.Path, "a", "b");
        using (var staged = new StagedOutput(target))
        {
            File.WriteAllText(staged.File("x.txt"), "x");
            File.WriteAllText(staged.File("y.txt"), "y");
            Assert.False(Directory.Exists(target));
            staged.Commit();
        }
        Assert.Equal(new[] { "a", Path.Combine("a", "b"), Path.Combine("a", "b", "x.txt"), Path.Combine("a", "b", "y.txt") }, tmp.Entries());
    }

    [Fact]
    public void DisposeWithoutCommitLeavesNothing()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("keep.txt"), "old");
        using (var staged = new StagedOutput(tmp.Path))
        {
            File.WriteAllText(staged.File("new.txt"), "new");
        }
        Assert.Equal(new[] { "keep.txt" }, tmp.Entries());
    }

    [Fact]
    public void CommitReplacesFilesOfTheSameName()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("m.png"), "old");
        using (var staged = new StagedOutput(tmp.Path))
        {
            File.WriteAllText(staged.File("m.png"), "new");
            staged.Commit();
        }
        Assert.Equal("new", File.ReadAllText(tmp.File("m.png")));
        Assert.Equal(new[] { "m.png" }, tmp.Entries());
    }

    [Fact]
    public void AFileInTheWayIsAUsageError()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("f"), "");
        Assert.Contains("is a file", Assert.Throws<UsageException>(() => StagedOutput.CheckTarget(tmp.File("f"))).Message);
        Assert.Contains("is a file", Assert.Throws<UsageException>(() => StagedOutput.CheckTarget(Path.Combine(tmp.File("f"), "sub"))).Message);
    }
}
