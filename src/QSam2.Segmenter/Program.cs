using QSam2.Segmenter;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Native;

SkiaNativeLoader.Register();
return Sam2SegApp.Run(args, Console.Out, Console.Error, ShippedModels.Catalog);
