using QSam2.Training.Quantization.Pipeline;

namespace QSam2.Cli.Commands;

/// <summary>
/// How the long TorchSharp commands (<c>quantize</c>, <c>experiment</c>) run their work: the runtime advice first,
/// Ctrl+C turned into a cancellation token (stop after the current step, with <paramref name="stopMessage"/>),
/// an <see cref="ArgumentException"/> from the pipeline reported as bad input, and a cancellation as a message.
/// </summary>
internal static class CancellableRun
{
    /// <summary>The work's result, or null when it was cancelled (the message is already printed).</summary>
    public static T? Run<T>(TextWriter stderr, string stopMessage, Func<CancellationToken, T> work) where T : class
    {
        if (RuntimeAdvice.ScalarLifetimeWarning() is { } warning) stderr.WriteLine(warning);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
            stderr.WriteLine("qsam2: " + stopMessage);
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return work(cancel.Token);
        }
        catch (ArgumentException e)
        {
            // Raised by the pipelines for inputs that do not fit (data size, batch size, recipe vs arch).
            throw new CliUsageException(e.Message, e);
        }
        catch (OperationCanceledException e)
        {
            stderr.WriteLine("qsam2: " + e.Message);
            return null;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
