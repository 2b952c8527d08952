using System.Globalization;
using QSam2.Generators.Model;

namespace QSam2.Generators.Lowering;

/// <summary>The parts of a segmenter's code, in timeline order (the arena planner treats them as one sequence).</summary>
internal enum Section
{
    Image,
    MaskPrompt,
    NoMaskPrompt,

    /// <summary>The decoder's prompt-independent image side (after either dense path), cached across prompts.</summary>
    DecoderImageSide,
    Decoder,
}

/// <summary>An activation buffer during lowering: size and the step range it must stay alive for.</summary>
internal sealed class Buffer
{
    public Buffer(int id, string name, long bytes, bool persistent)
    {
        Id = id;
        Name = name;
        Bytes = bytes;
        Persistent = persistent;
    }

    public int Id { get; }
    public string Name { get; }
    public long Bytes { get; }

    /// <summary>Alive until the end of the program (the cached image features).</summary>
    public bool Persistent { get; }

    public int First { get; set; } = -1;
    public int Last { get; set; } = -1;
    public long Offset { get; set; } = -1;
}

/// <summary>A byte position inside a buffer, used as a call argument.</summary>
internal readonly struct BufferAt
{
    public BufferAt(Buffer buffer, long extra)
    {
        Buffer = buffer;
        Extra = extra;
    }

    public Buffer Buffer { get; }
    public long Extra { get; }
}

/// <summary>
/// Collects the steps of a segmenter's paths and the buffers they touch, in one timeline. Arguments may refer to
/// buffers; <see cref="Finish"/> resolves them to arena offsets once <see cref="ArenaPlanner"/> has placed every buffer.
/// </summary>
internal sealed class ProgramBuilder
{
    private readonly List<Buffer> _buffers = new();
    private readonly List<(Section Section, string Call, string Comment, (string Name, object Value)[] Args)> _steps = new();
    private readonly List<(LayerUnit Unit, (string Field, object? Operand)[] Offsets)> _units = new();

    public IReadOnlyList<Buffer> Buffers => _buffers;

    public int StepCount => _steps.Count;

    public Buffer Alloc(string name, long bytes, bool persistent = false)
    {
        var b = new Buffer(_buffers.Count, name, Align(bytes), persistent) { First = _steps.Count, Last = _steps.Count };
        _buffers.Add(b);
        return b;
    }

    /// <summary>Keeps <paramref name="b"/> alive up to the step about to be added.</summary>
    public void Touch(Buffer b)
    {
        if (b.First < 0 || b.First > _steps.Count) b.First = _steps.Count;
        if (b.Last < _steps.Count) b.Last = _steps.Count;
    }

    public void Add(Section section, string call, string comment, params (string Name, object Value)[] args)
    {
        foreach (var (_, v) in args)
        {
            if (v is Buffer b) Touch(b);
            else if (v is BufferAt at) Touch(at.Buffer);
        }
        _steps.Add((section, call, comment, args));
    }

    /// <summary>
    /// A weight-layer step: the call goes to the unit's generated method with the arena and the row count; its
    /// operand offsets become constants in the unit (filled in by <see cref="Finish"/>). Operands are a
    /// <see cref="Buffer"/> or a <see cref="BufferAt"/>.
    /// </summary>
    public void AddLayer(Section section, LayerUnit unit, string rowsArg, object input, object output, Buffer? residual = null, Buffer? scratch = null)
    {
        Add(section, unit.Member + "_Run", unit.Kernel.Layer + " (" + unit.Kernel.Precision + ")", ("a", Literal.Raw("a")), ("rows", Literal.Raw(rowsArg)), ("in", input), ("out", output),
            ("res", (object?)residual ?? Literal.Raw("-")), ("scratch", (object?)scratch ?? Literal.Raw("-")));
        _units.Add((unit, new (string, object?)[] { ("Input", input), ("Output", output), ("Residual", residual), ("Scratch", scratch) }));
    }

    public static long Align(long bytes) => (bytes + 63) / 64 * 64;

    /// <summary>Resolves buffer arguments and unit offsets; call after the planner assigned offsets.</summary>
    public (Dictionary<Section, List<Step>> Steps, List<LayerUnit> Units) Finish()
    {
        var steps = new Dictionary<Section, List<Step>>
        {
            [Section.Image] = new(),
            [Section.MaskPrompt] = new(),
            [Section.NoMaskPrompt] = new(),
            [Section.DecoderImageSide] = new(),
            [Section.Decoder] = new(),
        };
        foreach (var (section, call, comment, args) in _steps)
        {
            var resolved = new List<StepArg>();
            foreach (var (name, value) in args)
            {
                // Layer calls only pass the arena and the row count; their offsets are constants in the layer's own file.
                if (call.EndsWith("_Run", StringComparison.Ordinal) && name != "a" && name != "rows") continue;
                resolved.Add(new StepArg(name, Render(value)));
            }
            steps[section].Add(new Step(call, comment, resolved.ToArray()));
        }
        var units = new List<LayerUnit>();
        foreach (var (unit, offsets) in _units)
        {
            var u = unit;
            foreach (var (field, operand) in offsets)
            {
                long off = operand switch
                {
                    Buffer b => b.Offset,
                    BufferAt at => at.Buffer.Offset + at.Extra,
                    _ => -1,
                };
                u = field switch
                {
                    "Input" => u with { Input = off },
                    "Output" => u with { Output = off },
                    "Residual" => u with { ResidualOffset = off },
                    _ => u with { Scratch = off, ScratchBytes = (operand as Buffer)?.Bytes ?? 0 },
                };
            }
            units.Add(u);
        }
        return (steps, units);
    }

    private static string Render(object value) => value switch
    {
        Buffer b => Literal.Long(b.Offset),
        BufferAt at => Literal.Long(at.Buffer.Offset + at.Extra),
        Literal.RawText r => r.Text,
        int i => Literal.Int(i),
        long l => Literal.Long(l),
        float f => Literal.Float(f),
        bool x => x ? "true" : "false",
        string s => s,
        _ => throw new InvalidOperationException("unsupported argument " + value),
    };
}

/// <summary>Invariant-culture C# literals (a locale must never change generated code).</summary>
internal static class Literal
{
    public sealed record RawText(string Text);

    public static RawText Raw(string text) => new(text);

    public static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Long(long v) => v.ToString(CultureInfo.InvariantCulture) + (v > int.MaxValue || v < int.MinValue ? "L" : "");

    /// <summary>Round-trippable float literal ("R" is stable across .NET hosts for float).</summary>
    public static string Float(float v)
    {
        if (float.IsNaN(v) || float.IsInfinity(v)) throw new ArgumentException("non-finite constant");
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        if (s.IndexOfAny(new[] { '.', 'E' }) < 0) s += ".0";
        return s + "f";
    }

    public static string String(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
