using System.Runtime.CompilerServices;

// Checkpoint tests reach the zip64 switch and the pickle internals.
[assembly: InternalsVisibleTo("QSam2.Runtime.Tests")]
