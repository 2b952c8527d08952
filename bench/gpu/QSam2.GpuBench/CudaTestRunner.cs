using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace QSam2.GpuBench;

/// <summary>
/// Runs the <c>[Trait("Category", "Cuda")]</c> tests of QSam2.Gpu.Tests in process, so a GPU machine without the .NET
/// SDK (no <c>dotnet test</c>) still runs them: every public test class with that trait, every <c>[Fact]</c> and every
/// <c>[InlineData]</c> row of a <c>[Theory]</c>, a fresh instance per case (constructor taking nothing or an
/// <see cref="ITestOutputHelper"/>), disposed afterwards. Prints one line per case and a summary; returns the failures.
/// </summary>
internal static class CudaTestRunner
{
    public static int Run(string? filter)
    {
        var assembly = typeof(QSam2.Gpu.Tests.Infrastructure.TestDevice).Assembly;
        int passed = 0, failed = 0, skipped = 0;
        var classes = assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && IsCuda(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in classes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.MetadataToken))
            {
                var fact = method.GetCustomAttribute<FactAttribute>();
                if (fact is null) continue;
                string name = type.Name + "." + method.Name;
                if (filter != null && !name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
                if (fact.Skip != null)
                {
                    skipped++;
                    Console.WriteLine($"SKIP {name}: {fact.Skip}");
                    continue;
                }
                var rows = fact is TheoryAttribute
                    ? method.GetCustomAttributes<InlineDataAttribute>().SelectMany(d => d.GetData(method)).ToList()
                    : new List<object[]> { Array.Empty<object>() };
                foreach (var args in rows)
                {
                    string label = args.Length == 0 ? name : $"{name}({string.Join(", ", args)})";
                    var output = new ConsoleOutput("    ");
                    var sw = System.Diagnostics.Stopwatch.StartNew();
                    try
                    {
                        var instance = Create(type, output);
                        try
                        {
                            method.Invoke(instance, args);
                        }
                        finally
                        {
                            (instance as IDisposable)?.Dispose();
                        }
                        passed++;
                        Console.WriteLine($"PASS {label} ({sw.Elapsed.TotalSeconds:F1} s)");
                    }
                    catch (TargetInvocationException e) when (e.InnerException != null)
                    {
                        failed++;
                        Console.WriteLine($"FAIL {label}: {e.InnerException.GetType().Name}: {e.InnerException.Message}");
                    }
                    output.Flush();
                }
            }
        }
        Console.WriteLine($"Cuda tests: {passed} passed, {failed} failed, {skipped} skipped");
        return failed;
    }

    /// <summary>[Trait("Category", "Cuda")] on the class (xunit keeps trait arguments only in the attribute data).</summary>
    private static bool IsCuda(Type type) =>
        type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments.Count == 2
            && (string?)a.ConstructorArguments[0].Value == "Category"
            && (string?)a.ConstructorArguments[1].Value == "Cuda");

    private static object Create(Type type, ITestOutputHelper output)
    {
        var withOutput = type.GetConstructor(new[] { typeof(ITestOutputHelper) });
        return withOutput != null ? withOutput.Invoke(new object[] { output }) : Activator.CreateInstance(type)!;
    }

    /// <summary>Test output, indented under the test's result line.</summary>
    private sealed class ConsoleOutput(string indent) : ITestOutputHelper
    {
        private readonly List<string> _lines = new();

        public void WriteLine(string message) => _lines.Add(indent + message);

        public void WriteLine(string format, params object[] args) => _lines.Add(indent + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void Flush()
        {
            foreach (var l in _lines) Console.WriteLine(l);
        }
    }
}
