global using System.Collections.Immutable;
global using QSam2.Spec.Model;
