using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// One tensor a layer owns: its local name (<c>weight</c>, <c>bias</c>, <c>gamma</c>, ...), its full official
/// state-dict key and shape (PyTorch order). <see cref="IsBuffer"/>: in the state dict but not trained.
/// </summary>
public sealed record ParameterTensor(string Name, string Key, EquatableArray<int> Shape, bool IsBuffer = false)
{
    public long ElementCount => Shapes.Elements(Shape);
}

/// <summary>One state-dict entry (official key order), as a checkpoint must contain it.</summary>
public sealed record StateDictEntry(string Key, EquatableArray<int> Shape, ModelComponent Component, bool IsBuffer = false)
{
    public long ElementCount => Shapes.Elements(Shape);

    /// <summary><c>key [d0, d1, ...]</c>, the line format of the golden inventories.</summary>
    public override string ToString() => Key + " " + Shape;
}

/// <summary>Total state-dict elements of one component.</summary>
public sealed record ComponentParameterCount(ModelComponent Component, string Prefix, long Parameters, int Keys);

/// <summary>Shape helpers.</summary>
public static class Shapes
{
    public static long Elements(EquatableArray<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    public static EquatableArray<int> Of(params int[] dims) => dims;
}
