import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { PlanEditor } from '@/components/plans/plan-editor';

export const metadata: Metadata = { title: 'Plan' };

const ZPlanId = z.uuid();

export default async function PlanPage({ params }: { params: Promise<{ planId: string }> }) {
  const { planId } = await params;
  if (!ZPlanId.safeParse(planId).success) notFound();
  return <PlanEditor planId={planId} />;
}
