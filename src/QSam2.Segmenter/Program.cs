using QSam2.Segmenter;
using QSam2.Segmenter.Models;

return Sam2SegApp.Run(args, Console.Out, Console.Error, ShippedModels.Catalog);
