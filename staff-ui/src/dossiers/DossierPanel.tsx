/** Placeholder: the dossier reception panel of the counter console replaces this file. */
export interface DossierPanelProps {
  counterId: number;
  /** The ticket being served at this counter, if any. */
  ticketId: number | null;
  /** Bearer token of the signed-in staff member. */
  token: string;
}
export default function DossierPanel(_props: DossierPanelProps) {
  return null;
}
