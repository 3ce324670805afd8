/** The scope of an app-only Graph token: every application permission granted to the app (public cloud). */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
