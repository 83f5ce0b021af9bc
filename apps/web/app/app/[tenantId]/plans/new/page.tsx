import type { Metadata } from 'next';
import { PlanEditor } from '@/components/plans/plan-editor';

export const metadata: Metadata = { title: 'New plan' };

export default function NewPlanPage() {
  return <PlanEditor planId={null} />;
}
