namespace Sessions;

/// <summary>
/// The JSON type of a custom claim value.
/// </summary>
public enum SessionClaimKind
{
    /// <summary>A JSON string.</summary>
    String = 0,

    /// <summary>A JSON number without fraction or exponent that fits a 64-bit signed integer.</summary>
    Integer,

    /// <summary>Any other finite JSON number, held as a double.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A JSON array of strings.</summary>
    StringArray,

    /// <summary>
    /// Any other JSON value (an object, <c>null</c>, or an array that holds more than strings), kept as its JSON text.
    /// Tokens made by other systems may carry such claims.
    /// </summary>
    Json,
}
