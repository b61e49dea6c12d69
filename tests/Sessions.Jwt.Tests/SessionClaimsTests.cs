namespace Sessions.Jwt.Tests;

/// <summary>The claim set and its values as a caller builds and reads them, and the payload bound of a token.</summary>
public class SessionClaimsTests
{
    [Fact]
    public void Claims_keep_their_order_past_the_initial_room_and_every_view_agrees()
    {
        var claims = new SessionClaims();
        for (var i = 0; i < 20; i++)
        {
            claims.Add("c" + i, i);
        }

        claims["c3"] = "replaced in place";

        var expectedNames = Enumerable.Range(0, 20).Select(i => "c" + i).ToArray();
        Assert.Equal(20, claims.Count);
        Assert.Equal(expectedNames, claims.Keys);
        Assert.Equal(expectedNames, claims.Select(claim => claim.Key));
        var enumerated = new List<string>();
        foreach (var (name, _) in claims)
        {
            enumerated.Add(name);
        }

        Assert.Equal(expectedNames, enumerated);
        Assert.Equal("replaced in place", claims["c3"].AsString());
        Assert.Equal(19L, claims.Values.Last().AsInteger());
        Assert.True(claims.TryGetValue("c19", out var last) && last.AsInteger() == 19);
        Assert.False(claims.ContainsKey("c20"));
        Assert.Throws<KeyNotFoundException>(() => claims["c20"]);
        Assert.Throws<ArgumentException>(() => claims.Add("c0", 1L));
    }

    [Fact]
    public void A_set_that_is_made_read_only_refuses_changes_and_an_empty_one_enumerates_nothing()
    {
        var claims = new SessionClaims { ["tenant"] = "acme" }.AsReadOnly();

        Assert.True(claims.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => claims.Add("other", 1L));
        Assert.Throws<InvalidOperationException>(() => claims["tenant"] = "other");
        Assert.Empty(SessionClaims.Empty);
        Assert.Empty(SessionClaims.Empty.Keys);
        Assert.Empty(SessionClaims.Empty.Values);
    }

    [Fact]
    public void The_enumerator_gives_default_outside_the_claims_and_starts_again_after_Reset()
    {
        var claims = new SessionClaims { ["a"] = 1L, ["b"] = 2L };
        var enumerator = claims.GetEnumerator();

        Assert.Null(enumerator.Current.Key);
        Assert.True(enumerator.MoveNext());
        Assert.Equal("a", enumerator.Current.Key);
        Assert.True(enumerator.MoveNext());
        Assert.False(enumerator.MoveNext());
        Assert.Null(enumerator.Current.Key);
        enumerator.Reset();
        Assert.True(enumerator.MoveNext());
        Assert.Equal(1L, enumerator.Current.Value.AsInteger());
    }

    [Fact]
    public void A_set_changed_inside_its_own_loop_throws_instead_of_looping_on()
    {
        // Claims added inside the loop that enumerates them would otherwise be enumerated too, one more each time.
        var claims = new SessionClaims { ["a"] = 1L, ["b"] = 2L };

        var added = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var (name, value) in claims)
            {
                claims.Add(name + "_copy", value);
            }
        });
        Assert.Contains("changed while they were enumerated", added.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var (name, _) in claims)
            {
                claims[name] = "replaced";
            }
        });

        // A copy may be enumerated while the set changes.
        foreach (var (name, value) in new SessionClaims(claims))
        {
            claims[name] = value;
        }

        Assert.Equal(3, claims.Count);
    }

    [Fact]
    public void Every_kind_of_value_says_its_kind_and_gives_only_its_own_reading()
    {
        var values = new (SessionClaimValue Value, SessionClaimKind Kind)[]
        {
            ("text", SessionClaimKind.String),
            (default, SessionClaimKind.String),
            (-7L, SessionClaimKind.Integer),
            (0.25, SessionClaimKind.Number),
            (false, SessionClaimKind.Boolean),
            (new[] { "a" }, SessionClaimKind.StringArray),
            (SessionClaimValue.FromJson("""{"a":1}"""), SessionClaimKind.Json),
        };

        foreach (var (value, kind) in values)
        {
            Assert.Equal(kind, value.Kind);
            Assert.Equal(kind == SessionClaimKind.String, Reads(() => value.AsString()));
            Assert.Equal(kind == SessionClaimKind.Integer, Reads(() => value.AsInteger()));
            Assert.Equal(kind is SessionClaimKind.Integer or SessionClaimKind.Number, Reads(() => value.AsNumber()));
            Assert.Equal(kind == SessionClaimKind.Boolean, Reads(() => value.AsBoolean()));
            Assert.Equal(kind == SessionClaimKind.StringArray, Reads(() => value.AsStrings()));
            Assert.Equal(kind == SessionClaimKind.Json, Reads(() => value.AsJson()));
        }

        Assert.Equal(string.Empty, default(SessionClaimValue).AsString());
        Assert.Equal(-7L, ((SessionClaimValue)(-7L)).AsInteger());
        Assert.Equal(0.25, ((SessionClaimValue)0.25).AsNumber());
        Assert.True(((SessionClaimValue)true).AsBoolean());

        // The same text as a string and as JSON are different values.
        Assert.NotEqual(SessionClaimValue.FromString("1"), SessionClaimValue.FromJson("1"));
        Assert.NotEqual((SessionClaimValue)1L, (SessionClaimValue)1.0);
        Assert.NotEqual((SessionClaimValue)0L, (SessionClaimValue)false);
    }

    [Fact]
    public void A_string_array_value_is_a_copy_whichever_way_it_is_made_and_refuses_null_items()
    {
        var array = new[] { "admin", "dev" };
        var list = new List<string> { "admin", "dev" };
        SessionClaimValue fromArray = array;
        var fromList = SessionClaimValue.FromStrings(list);

        array[0] = "changed";
        list[0] = "changed";

        Assert.Equal(["admin", "dev"], fromArray.AsStrings());
        Assert.Equal(["admin", "dev"], fromList.AsStrings());
        Assert.Equal(fromArray, fromList);
        Assert.Equal(fromArray.GetHashCode(), fromList.GetHashCode());
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromStrings(new[] { "a", null! }));
        Assert.Throws<ArgumentException>(() => SessionClaimValue.FromStrings(new List<string> { "a", null! }));
    }

    [Theory]
    [InlineData('\u0001')]
    [InlineData('é')]
    [InlineData('"')]
    [InlineData('a')]
    public void Subjects_of_every_length_round_trip_however_much_their_characters_grow_when_escaped(char character)
    {
        using var issuer = new JwtSessionIssuer(TestTokens.Options());
        using var validator = new JwtSessionValidator(TestTokens.Options());
        var claims = new SessionClaims { ["tenant"] = "acme" };

        // The payload is written on the stack when this subject's bound fits there and into a rented buffer when it
        // does not: every length crosses that line for characters that escape to six bytes.
        for (var length = 1; length <= 256; length++)
        {
            var subject = new string(character, length);
            var result = validator.Validate(issuer.Issue(subject, length % 2 == 0 ? claims : null).Token);
            Assert.True(result.IsValid, $"length {length}: {result.FailureReason}");
            Assert.Equal(subject, result.Session.Subject);
        }
    }

    private static bool Reads(Func<object> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
