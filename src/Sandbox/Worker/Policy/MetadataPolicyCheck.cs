using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Worker.Policy;

/// <summary>
/// The backstop after emit: reads the candidate assembly's metadata and checks every type and member
/// reference, every custom attribute, and the layout and interop flags of every definition. This catches
/// what the compiler adds that the source never names, and anything the semantic walk missed.
/// </summary>
internal static class MetadataPolicyCheck
{
    public static List<SourceDiagnostic> Check(ReadOnlyMemory<byte> image)
    {
        using var pe = new PEReader(new MemoryStream(image.ToArray(), writable: false));
        var reader = pe.GetMetadataReader();
        var found = new List<SourceDiagnostic>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        void Report(string rule, string what)
        {
            if (reported.Add(rule + "|" + what))
            {
                found.Add(new SourceDiagnostic(
                    PolicyRules.DiagnosticId(rule),
                    $"Policy rule {rule}: the compiled program references '{what}', which is refused ({ApiPolicy.Explain(rule)}).",
                    0,
                    0));
            }
        }

        foreach (var handle in reader.TypeReferences)
        {
            var name = TypeReferenceName(reader, handle);
            if (ApiPolicy.CheckType(name, compilerSynthesized: true) is { } rule)
            {
                Report(rule, name);
            }
        }

        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            var owner = OwnerName(reader, member.Parent);
            if (owner is null)
            {
                continue;
            }

            var memberName = reader.GetString(member.Name);
            var parameterCount = member.GetKind() == MemberReferenceKind.Method ? ParameterCount(reader.GetBlobReader(member.Signature)) : -1;
            if (ApiPolicy.CheckMember(owner, memberName, parameterCount, compilerSynthesized: true) is { } rule)
            {
                Report(rule, $"{owner}::{memberName}");
            }
        }

        if (reader.GetTableRowCount(TableIndex.ImplMap) > 0)
        {
            Report(PolicyRules.Interop, "DllImport");
        }

        if (reader.GetTableRowCount(TableIndex.FieldLayout) > 0)
        {
            Report(PolicyRules.ExplicitLayout, "FieldOffset");
        }

        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var typeName = reader.GetString(type.Name);
            // Array initializers get field-less, sized blobs nested in <PrivateImplementationDetails>; they overlap nothing.
            var isInitializerBlob = type.GetDeclaringType() is { IsNil: false } declaring
                && reader.GetString(reader.GetTypeDefinition(declaring).Name) == "<PrivateImplementationDetails>"
                && type.GetFields().Count == 0;
            if ((type.Attributes & TypeAttributes.LayoutMask) == TypeAttributes.ExplicitLayout && !isInitializerBlob)
            {
                Report(PolicyRules.ExplicitLayout, typeName);
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                var methodName = reader.GetString(method.Name);
                if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0
                    || (method.ImplAttributes & (MethodImplAttributes.InternalCall | MethodImplAttributes.Native | MethodImplAttributes.Unmanaged)) != 0)
                {
                    Report(PolicyRules.Interop, $"{typeName}::{methodName}");
                }

                // A static constructor on <Module> runs at load, before any harness code: a module initializer.
                if (typeName == "<Module>" && methodName == ".cctor")
                {
                    Report(PolicyRules.ModuleInitializer, "<Module>::.cctor");
                }

                if (methodName == "Finalize" && method.GetParameters().Count == 0 && (method.Attributes & MethodAttributes.Virtual) != 0)
                {
                    Report(PolicyRules.Finalizer, $"{typeName}::Finalize");
                }
            }
        }

        return found;
    }

    private static string TypeReferenceName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);

        // For nested types the policy speaks about the outermost type.
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        }

        var ns = reader.GetString(type.Namespace);
        var name = reader.GetString(type.Name);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The outermost referenced type that owns a member reference; <c>null</c> for the candidate's own definitions.</summary>
    private static string? OwnerName(MetadataReader reader, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => TypeReferenceName(reader, (TypeReferenceHandle)parent),
        HandleKind.TypeSpecification => GenericOwner(reader, (TypeSpecificationHandle)parent),
        _ => null,
    };

    private static string? GenericOwner(MetadataReader reader, TypeSpecificationHandle handle)
    {
        var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
        var code = blob.ReadSignatureTypeCode();
        if (code != SignatureTypeCode.GenericTypeInstance)
        {
            // Arrays and pointers of referenced types: their element types are TypeReferences checked above.
            return null;
        }

        blob.ReadSignatureTypeCode();
        var genericType = blob.ReadTypeHandle();
        return genericType.Kind == HandleKind.TypeReference ? TypeReferenceName(reader, (TypeReferenceHandle)genericType) : null;
    }

    private static int ParameterCount(BlobReader signature)
    {
        var header = signature.ReadSignatureHeader();
        if (header.IsGeneric)
        {
            signature.ReadCompressedInteger();
        }

        return signature.ReadCompressedInteger();
    }
}
