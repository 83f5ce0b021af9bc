'use client';

import { useEffect, useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { FileText, UploadCloud, X } from 'lucide-react';
import { ZCreateDatasetRequest, type TDataset, type TDatasetSummary } from '@elasticdash/contracts/datasets/dataset';
import { UPLOAD_MAX_BYTES } from '@elasticdash/contracts/datasets/upload';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field, FormError, TextField } from '@/components/ui/field';
import { inputClasses } from '@/components/ui/input';
import { useToast } from '@/components/ui/toast';
import { ApiError, errorMessage } from '@/lib/api';
import { cn } from '@/lib/cn';
import { createDataset, uploadDatasetFile, type TUploadPhase } from '@/lib/datasets/api';
import { formatBytes } from '@/lib/datasets/format';
import { datasetKeys } from '@/lib/datasets/cache';
import { isAbortError, isAcceptedFile } from '@/lib/datasets/upload';
import { ProgressBar } from './dataset-status';

const PHASE_LABELS: Record<TUploadPhase, string> = {
  preparing: 'Preparing the upload…',
  uploading: 'Uploading',
  completing: 'Finishing the upload…',
  queueing: 'Starting the import…',
};

function fileProblem(file: File): string | null {
  if (!isAcceptedFile(file.name)) return 'Choose a .csv, .tsv or .txt file.';
  if (file.size === 0) return 'The file is empty.';
  if (file.size > UPLOAD_MAX_BYTES) return `The file is larger than the ${UPLOAD_MAX_BYTES / 1024 ** 3} GB limit.`;
  return null;
}

/** A file input styled as a drop zone: click, keyboard (it is a real input) or drag and drop. */
function DropZone({
  file,
  onFile,
  error,
  disabled,
}: {
  file: File | null;
  onFile: (file: File | null) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  const [over, setOver] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  function onDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const dropped = event.dataTransfer.files[0];
    if (dropped) onFile(dropped);
  }
  return (
    <div className="flex flex-col gap-1.5">
      <span className="text-sm font-medium text-fg" id={`${id}-label`}>
        File
      </span>
      <label
        htmlFor={id}
        onDragOver={(event) => {
          event.preventDefault();
          if (!disabled) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="dataset-drop-zone"
        className={cn(
          'flex cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-6 text-center text-sm transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-accent',
          over ? 'border-accent bg-accent-soft' : 'border-border-strong/60 hover:bg-muted',
          error && 'border-danger',
          disabled && 'cursor-not-allowed opacity-60',
        )}
      >
        <input
          ref={inputRef}
          id={id}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
          className="sr-only"
          disabled={disabled}
          aria-labelledby={`${id}-label`}
          aria-describedby={`${id}-hint`}
          aria-invalid={error ? true : undefined}
          data-testid="dataset-file-input"
          onChange={(event) => onFile(event.currentTarget.files?.[0] ?? null)}
        />
        {file ? (
          <>
            <FileText className="size-6 text-accent-text" aria-hidden />
            <span className="font-medium break-all text-fg" data-testid="dataset-file-name">
              {file.name}
            </span>
            <span className="text-fg-muted">{formatBytes(file.size)} · click to choose another</span>
          </>
        ) : (
          <>
            <UploadCloud className="size-6 text-fg-muted" aria-hidden />
            <span className="font-medium text-fg">Drop a file here, or click to choose one</span>
          </>
        )}
        <span id={`${id}-hint`} className="text-xs text-fg-muted">
          CSV, TSV or TXT with a header row, up to {UPLOAD_MAX_BYTES / 1024 ** 3} GB
        </span>
      </label>
      {error ? (
        <p className="text-xs font-medium text-danger-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface TUploadState {
  phase: TUploadPhase;
  sent: number;
  total: number;
}

/**
 * New dataset (name, description, file) or new data for an existing one (file only): create →
 * presign → PUT straight to S3 with progress → complete → ingest. The import's progress then
 * arrives live in the datasets list and on the dataset page. Closing or Cancel aborts the upload.
 */
export function UploadDialog({
  open,
  onOpenChange,
  dataset,
  onUploaded,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Replace the data of this dataset; without it, a new dataset is created. */
  dataset?: TDatasetSummary;
  onUploaded?: (dataset: Pick<TDataset, 'id' | 'name'>) => void;
}) {
  const { tenantId } = useCurrentTenant();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [upload, setUpload] = useState<TUploadState | null>(null);
  const [created, setCreated] = useState<Pick<TDataset, 'id' | 'name'> | null>(null);
  const controller = useRef<AbortController | null>(null);
  const busy = upload !== null;

  useEffect(() => () => controller.current?.abort(), []);

  function reset() {
    setFile(null);
    setErrors({});
    setFormError(null);
    setUpload(null);
    setCreated(null);
  }

  function close() {
    controller.current?.abort();
    controller.current = null;
    reset();
    onOpenChange(false);
  }

  async function start(form: HTMLFormElement) {
    const values = new FormData(form);
    const nextErrors: Record<string, string> = {};
    let body: { name: string; description: string } | null = null;
    if (!dataset && !created) {
      const parsed = ZCreateDatasetRequest.safeParse({
        name: String(values.get('name') ?? ''),
        description: String(values.get('description') ?? ''),
      });
      if (parsed.success) body = parsed.data;
      else for (const issue of parsed.error.issues) nextErrors[String(issue.path[0])] ??= issue.message;
    }
    if (!file) nextErrors.file = 'Choose a file to upload.';
    else {
      const problem = fileProblem(file);
      if (problem) nextErrors.file = problem;
    }
    setErrors(nextErrors);
    setFormError(null);
    if (Object.keys(nextErrors).length > 0 || !file) {
      const first = Object.keys(nextErrors)[0];
      const target =
        first === 'file'
          ? form.querySelector<HTMLElement>('input[type="file"]')
          : form.querySelector<HTMLElement>(`[name="${first}"]`);
      target?.focus();
      return;
    }

    const abort = new AbortController();
    controller.current = abort;
    setUpload({ phase: 'preparing', sent: 0, total: file.size });
    let target = dataset ? { id: dataset.id, name: dataset.name } : created;
    try {
      if (!target && body) {
        const made = await createDataset(tenantId, body);
        target = { id: made.id, name: made.name };
        setCreated(target);
        void queryClient.invalidateQueries({ queryKey: datasetKeys.list(tenantId) });
      }
      if (!target) return;
      await uploadDatasetFile(tenantId, target.id, file, abort.signal, {
        onPhase: (phase) => setUpload((current) => (current ? { ...current, phase } : current)),
        onProgress: (sent, total) => setUpload((current) => (current ? { ...current, sent, total } : current)),
      });
      void queryClient.invalidateQueries({ queryKey: datasetKeys.list(tenantId) });
      void queryClient.invalidateQueries({ queryKey: datasetKeys.dataset(tenantId, target.id) });
      toast({ variant: 'success', title: `“${target.name}” is uploaded`, description: 'The import runs now.' });
      onUploaded?.(target);
      controller.current = null;
      reset();
      onOpenChange(false);
    } catch (error) {
      setUpload(null);
      if (target) void queryClient.invalidateQueries({ queryKey: datasetKeys.list(tenantId) });
      if (isAbortError(error)) return;
      if (error instanceof ApiError && error.issues.length > 0) {
        const byField: Record<string, string> = {};
        for (const issue of error.issues) {
          const key = issue.path.split('.').pop() ?? '';
          if (key === 'name' || key === 'description') byField[key] ??= issue.message;
          else if (key === 'sizeBytes' || key === 'fileName') byField.file ??= issue.message;
        }
        setErrors(byField);
        if (Object.keys(byField).length === 0) setFormError(error.message);
      } else {
        setFormError(errorMessage(error));
      }
    }
  }

  const percent = upload && upload.total > 0 ? Math.floor((upload.sent / upload.total) * 100) : 0;
  const replacing = dataset !== undefined;
  let uploadStatus: ReactNode = null;
  if (upload) {
    uploadStatus = (
      <div className="flex flex-col gap-2" data-testid="upload-progress">
        <div className="flex items-center justify-between gap-2 text-sm">
          <span className="text-fg" aria-live="polite">
            {PHASE_LABELS[upload.phase]}
          </span>
          {upload.phase === 'uploading' ? (
            <span className="text-fg-muted tabular-nums">
              {formatBytes(upload.sent)} of {formatBytes(upload.total)} · {percent} %
            </span>
          ) : null}
        </div>
        <ProgressBar
          percent={upload.phase === 'uploading' ? percent : upload.phase === 'preparing' ? 0 : 100}
          label="Upload progress"
        />
      </div>
    );
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) close();
        else onOpenChange(true);
      }}
    >
      <DialogContent
        title={replacing ? `Upload new data to “${dataset.name}”` : 'New dataset'}
        description={
          replacing
            ? 'The file replaces the data once it is imported. Until then the current data stays available.'
            : 'Name it, choose a CSV file, and it is uploaded straight to storage and imported.'
        }
        data-testid="upload-dialog"
      >
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (!busy) void start(event.currentTarget);
          }}
        >
          {!replacing ? (
            <>
              <TextField
                label="Name"
                name="name"
                required
                maxLength={120}
                autoComplete="off"
                error={errors.name}
                disabled={busy || created !== null}
                defaultValue={created?.name}
                data-testid="dataset-name-input"
              />
              <Field label="Description (optional)" name="description" error={errors.description}>
                {(control) => (
                  <textarea
                    {...control}
                    rows={2}
                    maxLength={2000}
                    disabled={busy || created !== null}
                    className={cn(inputClasses, 'h-auto min-h-16 py-2')}
                  />
                )}
              </Field>
            </>
          ) : null}
          <DropZone
            file={file}
            disabled={busy}
            error={errors.file}
            onFile={(next) => {
              setFile(next);
              setErrors(({ file: _file, ...rest }) =>
                next && fileProblem(next) ? { ...rest, file: fileProblem(next) ?? '' } : rest,
              );
            }}
          />
          {uploadStatus}
          <FormError message={formError} />
          {created && !busy && formError ? (
            <p className="text-xs text-fg-muted">
              The dataset “{created.name}” was created; uploading again retries the file only.
            </p>
          ) : null}
          <DialogFooter>
            {busy ? (
              <Button variant="outline" onClick={close} data-testid="upload-cancel">
                <X aria-hidden /> Cancel upload
              </Button>
            ) : (
              <Button variant="outline" onClick={close}>
                Cancel
              </Button>
            )}
            <Button type="submit" loading={busy} data-testid="upload-submit">
              <UploadCloud aria-hidden /> {replacing ? 'Upload and import' : 'Create and upload'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
