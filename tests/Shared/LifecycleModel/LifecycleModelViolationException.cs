namespace Sessions.Tests.LifecycleModel;

/// <summary>A call's outcome contradicts the lifecycle model; the message names the seed and round to replay.</summary>
public sealed class LifecycleModelViolationException(string message) : Exception(message);
