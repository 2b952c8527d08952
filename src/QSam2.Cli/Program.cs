using QSam2.Cli;

return Qsam2App.Run(args, Console.Out, Console.Error);
