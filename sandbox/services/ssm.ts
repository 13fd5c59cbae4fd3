/**
 * Systems Manager documents of member accounts: what the ssm_document
 * auditor reads and remediates, and what the misconfiguration maker creates
 * and removes. Only the account's own documents (ListDocuments answers
 * Owner=Self; AWS's own documents are not modelled). Parameters are not
 * modelled: the security account's GetParameter (exceptions, notifier
 * secrets) never reaches the sandbox (Sandbox.handles), and a member
 * account's fails as not implemented. Errors by Systems Manager's names:
 * InvalidDocument, DocumentAlreadyExists, InvalidDocumentContent,
 * InvalidDocumentOperation (deleting a shared document), DocumentLimitExceeded,
 * InvalidPermissionType, ValidationException.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Operations.html
 */
import type {
  CreateDocumentCommandInput,
  CreateDocumentCommandOutput,
  DeleteDocumentCommandInput,
  DescribeDocumentCommandInput,
  DescribeDocumentCommandOutput,
  DescribeDocumentPermissionCommandInput,
  DescribeDocumentPermissionCommandOutput,
  DocumentDescription,
  ListDocumentsCommandInput,
  ListDocumentsCommandOutput,
  ModifyDocumentPermissionCommandInput,
} from '@aws-sdk/client-ssm';
import { createHash } from 'node:crypto';
import { page } from '../pagination.ts';
import { serviceError } from '../sandboxErrors.ts';
import { operation, required, type OperationContext, type Output, type SandboxService } from '../serviceModel.ts';

interface DocumentRecord {
  name: string;
  content: string;
  documentType: string;
  documentFormat: string;
  createdAt: string;
  tags: { Key: string; Value: string }[];
  /** Who it is shared with, in the order shared: account ids, or "all" alone. */
  sharedWith: string[];
}

interface SsmState {
  documents: Record<string, DocumentRecord>;
}

const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.]{3,128}$/;
const RESERVED_PREFIXES = ['aws', 'amazon', 'amzn'];
/** An account id, or "all" in any case. */
const SHARE_TARGET = /^(all|\d{12})$/i;
/** At most 1,000 accounts for a private share: https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-ssm-sharing.html */
const MAX_SHARED_ACCOUNTS = 1000;

function ssmState(context: OperationContext): SsmState {
  return context.regional<SsmState>('ssm', () => ({ documents: {} }));
}

function documentOf(context: OperationContext, name: string | undefined): DocumentRecord {
  const document = ssmState(context).documents[required(name, 'Name', 'ValidationException')];
  if (!document) throw serviceError('InvalidDocument', 400, 'The specified document does not exist.');
  return document;
}

function descriptionOf(context: OperationContext, document: DocumentRecord): DocumentDescription {
  return {
    Name: document.name,
    Hash: createHash('sha256').update(document.content).digest('hex'),
    HashType: 'Sha256',
    Owner: context.account,
    CreatedDate: new Date(document.createdAt),
    Status: 'Active',
    DocumentVersion: '1',
    LatestVersion: '1',
    DefaultVersion: '1',
    DocumentType: document.documentType as DocumentDescription['DocumentType'],
    DocumentFormat: document.documentFormat as DocumentDescription['DocumentFormat'],
    SchemaVersion: schemaVersionOf(document.content),
    PlatformTypes: ['Linux', 'MacOS'],
    Tags: document.tags,
  };
}

function schemaVersionOf(content: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(content);
    return typeof parsed === 'object' && parsed !== null && 'schemaVersion' in parsed ? String(parsed.schemaVersion) : undefined;
  } catch {
    return undefined;
  }
}

function validShareTargets(ids: readonly string[] | undefined, field: string): string[] {
  for (const id of ids ?? []) {
    if (!SHARE_TARGET.test(id)) throw serviceError('ValidationException', 400, `Value '[${id}]' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: (?i)all|[0-9]{12}`);
  }
  if ((ids ?? []).some((id) => id.toLowerCase() === 'all') && (ids ?? []).length > 1) {
    throw serviceError('DocumentPermissionLimit', 400, 'Accounts can either be all or a group of AWS accounts');
  }
  return [...(ids ?? [])];
}

export const ssmService: SandboxService = {
  serviceId: 'SSM',
  operations: {
    /** JSON content only (the maker's form). */
    CreateDocument: operation((context, input: CreateDocumentCommandInput): Output<CreateDocumentCommandOutput> => {
      const name = required(input.Name, 'Name', 'ValidationException');
      if (!DOCUMENT_NAME.test(name) || RESERVED_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix))) {
        throw serviceError('ValidationException', 400, `Invalid document name ${name}: 3 to 128 of a-z, A-Z, 0-9, _, - and ., not starting with aws, amazon or amzn.`);
      }
      const content = required(input.Content, 'Content', 'ValidationException');
      if (schemaVersionOf(content) === undefined) throw serviceError('InvalidDocumentContent', 400, 'The content for the document is not valid.');
      const state = ssmState(context);
      if (state.documents[name]) throw serviceError('DocumentAlreadyExists', 400, 'Document with same name already exists.');
      const document: DocumentRecord = {
        name,
        content,
        documentType: input.DocumentType ?? 'Command',
        documentFormat: input.DocumentFormat ?? 'JSON',
        createdAt: context.now().toISOString(),
        tags: (input.Tags ?? []).map((tag) => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' })),
        sharedWith: [],
      };
      state.documents[name] = document;
      return { DocumentDescription: descriptionOf(context, document) };
    }),
    DescribeDocument: operation((context, input: DescribeDocumentCommandInput): Output<DescribeDocumentCommandOutput> => ({ Document: descriptionOf(context, documentOf(context, input.Name)) })),
    /** Owner Self (or this account's id) only; other filters are not modelled. */
    ListDocuments: operation((context, input: ListDocumentsCommandInput): Output<ListDocumentsCommandOutput> => {
      const maxResults = input.MaxResults ?? 50;
      if (maxResults < 1 || maxResults > 50) throw serviceError('ValidationException', 400, `Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`);
      const owner = input.Filters?.find((filter) => filter.Key === 'Owner')?.Values?.[0];
      const own = owner === undefined || owner === 'Self' || owner === context.account;
      const documents = own
        ? Object.values(ssmState(context).documents)
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((document) => {
              const { Name, Owner, CreatedDate, DocumentVersion, DocumentType, SchemaVersion, DocumentFormat, PlatformTypes, Tags } = descriptionOf(context, document);
              return { Name, Owner, CreatedDate, DocumentVersion, DocumentType, SchemaVersion, DocumentFormat, PlatformTypes, Tags };
            })
        : [];
      const { items, next } = page(documents, input.NextToken, maxResults);
      return { DocumentIdentifiers: items, ...(next ? { NextToken: next } : {}) };
    }),
    DescribeDocumentPermission: operation((context, input: DescribeDocumentPermissionCommandInput): Output<DescribeDocumentPermissionCommandOutput> => {
      const document = documentOf(context, input.Name);
      if (input.PermissionType !== 'Share') throw serviceError('InvalidPermissionType', 400, 'Value at permissionType failed to satisfy constraint: Member must satisfy enum value set: [Share].');
      const { items, next } = page(document.sharedWith, input.NextToken, input.MaxResults ?? 200);
      return { AccountIds: items, AccountSharingInfoList: items.map((AccountId) => ({ AccountId, SharedDocumentVersion: '$DEFAULT' })), ...(next ? { NextToken: next } : {}) };
    }),
    /** "all" replaces the account list and an account list replaces "all" (one or the other). */
    ModifyDocumentPermission: operation((context, input: ModifyDocumentPermissionCommandInput) => {
      const document = documentOf(context, input.Name);
      if (input.PermissionType !== 'Share') throw serviceError('InvalidPermissionType', 400, 'Value at permissionType failed to satisfy constraint: Member must satisfy enum value set: [Share].');
      const toAdd = validShareTargets(input.AccountIdsToAdd, 'accountIdsToAdd');
      const toRemove = new Set(validShareTargets(input.AccountIdsToRemove, 'accountIdsToRemove').map((id) => id.toLowerCase()));
      let shared = toAdd.some((id) => id.toLowerCase() === 'all') ? [] : document.sharedWith.filter((id) => id.toLowerCase() !== 'all');
      shared = [...shared, ...toAdd.filter((id) => !shared.includes(id))].filter((id) => !toRemove.has(id.toLowerCase()));
      if (shared.length > MAX_SHARED_ACCOUNTS) throw serviceError('DocumentLimitExceeded', 400, 'You can share a document with a maximum of 1000 accounts.');
      document.sharedWith = shared;
      return {};
    }),
    DeleteDocument: operation((context, input: DeleteDocumentCommandInput) => {
      const document = documentOf(context, input.Name);
      if (document.sharedWith.length > 0) throw serviceError('InvalidDocumentOperation', 400, 'You attempted to delete a document while it is still shared. You must stop sharing the document before you can delete it.');
      delete ssmState(context).documents[document.name];
      return {};
    }),
  },
};
