using System.Runtime.CompilerServices;

// Every stack buffer on the hot path is written before it is read; zeroing a kilobyte per call would be waste.
[module: SkipLocalsInit]
