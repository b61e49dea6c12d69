using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Sessions.Packaging.Tests;

/// <summary>What the packages and the docs say about themselves stays true as the code grows.</summary>
public sealed partial class DocumentationTextTests
{
    private static readonly string[] Rpcs = [.. RpcPattern().Matches(File.ReadAllText(RepositoryRoot.Combine("Sessions.Grpc.Client", "Protos", "sessions.proto"))).Select(m => m.Groups["name"].Value)];

    [Theory]
    [InlineData("Sessions.Grpc")]
    [InlineData("Sessions.Grpc.Client")]
    public void The_gRPC_packages_describe_every_rpc_of_their_contract(string library)
    {
        Assert.Contains("RevokeAll", Rpcs);
        var description = Description(library);
        var readme = File.ReadAllText(RepositoryRoot.Combine(library, "README.md"));

        Assert.All(Rpcs, rpc => Assert.Contains(rpc, description, StringComparison.Ordinal));
        Assert.All(Rpcs, rpc => Assert.Contains($"`{rpc}`", readme, StringComparison.Ordinal));
    }

    [Fact]
    public void No_document_lists_the_rpcs_as_only_Create_and_Validate()
    {
        var stale = MarkdownFiles().Where(f => StaleRpcListPattern().IsMatch(File.ReadAllText(f))).Select(f => Path.GetRelativePath(RepositoryRoot.Path, f));

        Assert.Empty(stale);
    }

    [Fact]
    public void Sessions_Jwt_describes_every_algorithm_it_signs_with()
    {
        var description = Description("Sessions.Jwt");

        Assert.All(new[] { "HS256", "ES256", "RS256", "PS256" }, alg => Assert.Contains(alg, description, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_markdown_table_is_unbroken()
    {
        var broken = new List<string>();
        foreach (var file in MarkdownFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 2; i < lines.Length; i++)
            {
                // A blank line between two rows ends the table: the rows after it render as a paragraph of pipes. (A
                // new table after a blank line starts with a header and a separator row, and is fine.)
                var startsNewTable = i + 1 < lines.Length && SeparatorRowPattern().IsMatch(lines[i + 1]);
                if (lines[i].StartsWith('|') && lines[i - 1].Length == 0 && lines[i - 2].StartsWith('|') && !startsNewTable)
                {
                    broken.Add($"{Path.GetRelativePath(RepositoryRoot.Path, file)}:{i + 1}");
                }
            }
        }

        Assert.Empty(broken);
    }

    private static string Description(string library) =>
        XDocument.Load(RepositoryRoot.Combine(library, library + ".csproj")).Descendants("Description").Single().Value;

    private static IEnumerable<string> MarkdownFiles() =>
        Directory.EnumerateFiles(RepositoryRoot.Path, "*.md", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules"));

    [GeneratedRegex(@"^\s*rpc\s+(?<name>\w+)\s*\(", RegexOptions.Multiline)]
    private static partial Regex RpcPattern();

    [GeneratedRegex(@"^\|(\s*:?-+:?\s*\|)+\s*$")]
    private static partial Regex SeparatorRowPattern();

    [GeneratedRegex(@"\(`?Create`?,\s*`?Validate`?\)")]
    private static partial Regex StaleRpcListPattern();
}
