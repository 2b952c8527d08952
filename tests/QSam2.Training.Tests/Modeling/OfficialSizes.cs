using QSam2.Spec.Arch;
using QSam2.Spec.Model;
using QSam2.Tests.Shared;

namespace QSam2.Training.Tests.Modeling;

/// <summary>The shipped architecture specs of the released models (<c>specs/arch/&lt;name&gt;.arch.json</c>).</summary>
internal static class OfficialSizes
{
    public static ArchSpec Get(string name) =>
        ArchSpecReader.ReadFile(Path.Combine(ReferenceFixture.RepoRoot(), "specs", "arch", name + ArchSpecReader.FileSuffix));
}
