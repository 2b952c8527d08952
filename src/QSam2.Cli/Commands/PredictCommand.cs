using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using QSam2.Cli.Output;
using QSam2.Cli.Prompts;
using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Imaging;
using QSam2.Training.Inference;
using QSam2.Training.Modeling;

namespace QSam2.Cli.Commands;

/// <summary>
/// <c>qsam2 predict --arch A --checkpoint C --image I (--box x0,y0,x1,y1 | --point x,y[:label] ...) [--multimask] -o DIR</c>:
/// the float reference predictor on one image. Writes one 0/255 mask PNG per returned mask at the image's size
/// and <c>prediction.json</c> (scores, areas, prompts). Every input is checked before anything is written, and
/// the files are staged and moved into DIR only when all of them exist.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "architecture spec file", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "checkpoint (.pt or .safetensors)", Required = true };
        var image = new Option<string>("--image") { Description = "image file (PNG, JPEG, WebP)", Required = true };
        var boxes = new Option<string[]>("--box") { Description = "box x0,y0,x1,y1 in image pixels; repeat for one prediction per box", AllowMultipleArgumentsPerToken = false };
        var points = new Option<string[]>("--point") { Description = "click x,y[:label] in image pixels, label 1 = foreground (default), 0 = background; repeatable" };
        var multimask = new Option<bool>("--multimask") { Description = "return 3 candidate masks per prompt instead of 1" };
        var output = new Option<string>("--output", "-o") { Description = "output folder (created if missing)", Required = true };
        var command = new Command("predict", "Segment an image with points and/or a box (TorchSharp float reference)")
        {
            arch, checkpoint, image, boxes, points, multimask, output,
        };
        command.SetAction(parse =>
        {
            var boxPrompts = (parse.GetValue(boxes) ?? Array.Empty<string>()).Select(PromptArguments.ParseBox).ToArray();
            var clickPrompts = (parse.GetValue(points) ?? Array.Empty<string>()).Select(PromptArguments.ParsePoint).ToArray();
            if (boxPrompts.Length == 0 && clickPrompts.Length == 0) throw new CliUsageException("give at least one --box or --point prompt");
            if (boxPrompts.Length > 1 && clickPrompts.Length > 0)
            {
                throw new CliUsageException("--point cannot be combined with several --box prompts (points would be ambiguous); use one box");
            }
            string outDir = parse.GetValue(output)!;
            var spec = CliFiles.ReadArch(parse.GetValue(arch), "--arch");
            string checkpointPath = CliFiles.Existing(parse.GetValue(checkpoint), "--checkpoint");
            string imagePath = CliFiles.Existing(parse.GetValue(image), "--image");
            var rgb = ImageCodec.Load(imagePath);

            // Check the prompts against the image before the (possibly large) checkpoint is read.
            var boxArray = boxPrompts.Length == 0 ? null : ToArray(boxPrompts);
            var (pointArray, labelArray) = ToArrays(clickPrompts, boxPrompts.Length == 0 ? 1 : boxPrompts.Length);
            PromptPointSet.Build(boxArray, pointArray, labelArray, rgb.Width, rgb.Height, spec.ImageSize);
            bool isMultimask = parse.GetValue(multimask);

            var sd = CheckpointReader.Read(checkpointPath);
            using var model = new Sam2Model(spec);
            model.LoadStateDict(sd, checkpointPath);
            using var predictor = new Sam2ImagePredictor(model);
            predictor.SetImage(rgb);
            using var prediction = boxPrompts.Length > 1
                ? predictor.PredictBatch(boxArray, multimaskOutput: isMultimask)
                : predictor.PredictBatch(boxArray, pointArray, labelArray, multimaskOutput: isMultimask);

            int sets = boxPrompts.Length > 1 ? boxPrompts.Length : 1;
            int perSet = prediction.MaskCount;
            var scores = prediction.IouArray();
            var written = new List<MaskRecord>();
            using (var staged = new StagedOutputDirectory(outDir))
            {
                for (int b = 0; b < sets; b++)
                {
                    for (int m = 0; m < perSet; m++)
                    {
                        string name = sets > 1 ? $"mask_{b}_{m}.png" : $"mask_{m}.png";
                        var mask = prediction.MaskArray(m, b);
                        MaskPng.Save(staged.File(name), mask, rgb.Width, rgb.Height);
                        written.Add(new MaskRecord(b, m, name, scores[b * perSet + m], mask.Count(v => v)));
                    }
                }
                File.WriteAllText(staged.File("prediction.json"), PredictionJson(imagePath, rgb, spec.Name, checkpointPath, isMultimask, boxPrompts, clickPrompts, written));
                staged.Commit();
            }

            var stdout = parse.InvocationConfiguration.Output;
            foreach (var r in written)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.Combine(outDir, r.File)}: predicted IoU {r.Score:F4}, {r.Area} foreground pixels"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record MaskRecord(int Prompt, int Index, string File, float Score, int Area);

    private static float[,] ToArray(BoxPrompt[] boxes)
    {
        var a = new float[boxes.Length, 4];
        for (int i = 0; i < boxes.Length; i++) (a[i, 0], a[i, 1], a[i, 2], a[i, 3]) = (boxes[i].X0, boxes[i].Y0, boxes[i].X1, boxes[i].Y1);
        return a;
    }

    private static (float[,,]? Points, int[,]? Labels) ToArrays(ClickPrompt[] clicks, int batch)
    {
        if (clicks.Length == 0) return (null, null);
        var p = new float[batch, clicks.Length, 2];
        var l = new int[batch, clicks.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < clicks.Length; i++) (p[b, i, 0], p[b, i, 1], l[b, i]) = (clicks[i].X, clicks[i].Y, clicks[i].Label);
        }
        return (p, l);
    }

    private static string PredictionJson(string imagePath, RgbImage image, string archName, string checkpointPath, bool multimask,
        BoxPrompt[] boxes, ClickPrompt[] clicks, List<MaskRecord> masks)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("image", Path.GetFullPath(imagePath));
            w.WriteNumber("width", image.Width);
            w.WriteNumber("height", image.Height);
            w.WriteString("arch", archName);
            w.WriteString("checkpoint", Path.GetFullPath(checkpointPath));
            w.WriteBoolean("multimask", multimask);
            w.WriteStartArray("boxes");
            foreach (var b in boxes)
            {
                w.WriteStartArray();
                w.WriteNumberValue(b.X0);
                w.WriteNumberValue(b.Y0);
                w.WriteNumberValue(b.X1);
                w.WriteNumberValue(b.Y1);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("points");
            foreach (var c in clicks)
            {
                w.WriteStartObject();
                w.WriteNumber("x", c.X);
                w.WriteNumber("y", c.Y);
                w.WriteNumber("label", c.Label);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("masks");
            foreach (var m in masks)
            {
                w.WriteStartObject();
                w.WriteNumber("prompt", m.Prompt);
                w.WriteNumber("index", m.Index);
                w.WriteString("file", m.File);
                w.WriteNumber("score", Math.Round(m.Score, 6));
                w.WriteNumber("area", m.Area);
                w.WriteBoolean("best", masks.Where(o => o.Prompt == m.Prompt).MaxBy(o => o.Score) == m);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
