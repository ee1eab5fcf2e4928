import { IsUUID } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { Omittable } from '../../common/omittable.decorator';
import { WELCOME_STATUSES, WelcomeStatus } from '../welcome-template.entity';

export class WelcomesQuery {
  /** Only the welcome templates this group uses: the published welcome pieces sharing one of its tags, on its channel. */
  @Omittable()
  @IsUUID()
  groupId?: string;
}

export class WelcomeDto {
  pieceId: string;
  /** The piece's title. */
  title: string;
  channelId: string;
  /** The revision WeCom holds. */
  revision: number;
  /** WeCom's template_id, to pick in the group's settings (入群欢迎语); null when WeCom refused it. */
  templateId: string | null;
  @ApiProperty({ enum: WELCOME_STATUSES })
  status: WelcomeStatus;
  /** Why WeCom refused it. */
  error: string | null;
  updatedAt: Date;
}

export class WelcomeListDto {
  items: WelcomeDto[];
}
