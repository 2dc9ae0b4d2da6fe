namespace EvoCode.Api.Contracts;

/// <summary>One page of a list: <see cref="Total"/> rows match, this page holds at most <see cref="PageSize"/> of them.</summary>
internal sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);
