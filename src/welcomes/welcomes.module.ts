import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '../content/content.module';
import { GroupsModule } from '../groups/groups.module';
import { ProvidersModule } from '../providers/providers.module';
import { WelcomeTemplateRow } from './welcome-template.entity';
import { WelcomeTemplates } from './welcome-templates.service';
import { WelcomesController } from './welcomes.controller';

/** Welcome pieces kept as WeCom welcome templates. */
@Module({
  imports: [TypeOrmModule.forFeature([WelcomeTemplateRow]), ContentModule, GroupsModule, ProvidersModule],
  controllers: [WelcomesController],
  providers: [WelcomeTemplates],
})
export class WelcomesModule {}
