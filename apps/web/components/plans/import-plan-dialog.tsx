'use client';

import { useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FileUp, Upload } from 'lucide-react';
import { useCurrentTenant } from '@/components/app/tenant-context';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { useToast } from '@/components/ui/toast';
import { ApiError, errorMessage } from '@/lib/api';
import { parseImportFile } from '@/lib/plans/document';
import { importPlan, planKeys } from '@/lib/plans/queries';

const MAX_FILE_BYTES = 1024 * 1024;

interface TImportProblem {
  message: string;
  issues: { path: string; message: string }[];
}

/** Import a .cs.json file: read it here, let the API check it, and list every problem with its path. */
export function ImportPlanDialog() {
  const { tenantId } = useCurrentTenant();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<TImportProblem | null>(null);

  const upload = useMutation({
    mutationFn: async (selected: File) => {
      if (selected.size > MAX_FILE_BYTES) {
        throw new ApiError(0, 'too_large', 'The file is larger than 1 MB; a cs-json plan is a few kB.');
      }
      const parsed = parseImportFile(await selected.text());
      if (!parsed.ok) throw new ApiError(0, 'bad_json', parsed.message);
      return importPlan(tenantId, parsed.document);
    },
    onSuccess: (plan) => {
      queryClient.setQueryData(planKeys.plan(tenantId, plan.id), { plan });
      void queryClient.invalidateQueries({ queryKey: planKeys.all(tenantId), exact: true });
      toast({ variant: 'success', title: `Imported “${plan.name}”` });
      setOpen(false);
      router.push(`/app/${tenantId}/plans/${plan.id}`);
    },
    onError: (error) =>
      setProblem({
        message: errorMessage(error),
        // Paths as in the file: the API reports them under the request's `document`.
        issues:
          error instanceof ApiError
            ? error.issues.map((issue) => ({ ...issue, path: issue.path.replace(/^document\./, '') }))
            : [],
      }),
  });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setFile(null);
      setProblem(null);
      upload.reset();
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <Upload aria-hidden /> Import
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Import a plan"
        description="Choose a cs-json file (.cs.json), for example one exported from another workspace."
      >
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (file) upload.mutate(file);
          }}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="plan-import-file">Plan file</Label>
            <input
              ref={inputRef}
              id="plan-import-file"
              type="file"
              accept=".json,.cs.json,application/json"
              className="block w-full text-sm text-fg file:mr-3 file:rounded-md file:border file:border-border-strong/60 file:bg-surface file:px-3 file:py-2 file:text-sm file:font-medium file:text-fg hover:file:bg-muted"
              onChange={(event) => {
                setFile(event.currentTarget.files?.[0] ?? null);
                setProblem(null);
              }}
            />
          </div>
          {problem ? (
            <Alert variant="danger" title="This file cannot be imported">
              <p>{problem.message}</p>
              {problem.issues.length > 0 ? (
                <ul className="mt-2 flex max-h-60 flex-col gap-1 overflow-y-auto" data-testid="import-issues">
                  {problem.issues.map((issue) => (
                    <li key={`${issue.path}:${issue.message}`}>
                      <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs text-fg">{issue.path}</code>{' '}
                      {issue.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </Alert>
          ) : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={!file} loading={upload.isPending}>
              <FileUp aria-hidden /> Import plan
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
