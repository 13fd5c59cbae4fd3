/** What a failed SDK call raised, in the fields a test compares: name, wire code, HTTP status, message. */
export interface RaisedError {
  name: string;
  Code: string;
  status: number | undefined;
  message: string;
}

/** The error the call fails with (the test fails if it succeeds). */
export async function rejection(promise: Promise<unknown>): Promise<RaisedError> {
  try {
    await promise;
  } catch (error) {
    const raised = error as { name: string; Code: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: raised.name, Code: raised.Code, status: raised.$metadata?.httpStatusCode, message: raised.message };
  }
  throw new Error('expected the command to fail');
}
